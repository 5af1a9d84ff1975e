from django.http import JsonResponse

from inventory.models import Part


def parts(request):
    return JsonResponse({"parts": list(Part.objects.values_list("name", flat=True))})
