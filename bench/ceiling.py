"""The ceiling reference: the least a Django view that writes can do (one INSERT)."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from bench.models import CeilingRow


@csrf_exempt
def ceiling(request):
    row = CeilingRow.objects.create(payload=request.GET.get("p", "x")[:32])
    return HttpResponse(str(row.pk), content_type="text/plain")
