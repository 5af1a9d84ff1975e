from django.http import JsonResponse

from warehouse.models import Part


def parts(request):
    return JsonResponse({"parts": list(Part.objects.values_list("name", flat=True))})
