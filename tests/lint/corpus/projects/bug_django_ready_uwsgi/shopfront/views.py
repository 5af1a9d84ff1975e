from django.http import JsonResponse

from shopfront.models import Currency


def rates(request):
    return JsonResponse({c.code: str(c.rate) for c in Currency.objects.all()})
