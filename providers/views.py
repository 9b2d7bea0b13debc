from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse


@login_not_required
def register(request):
    return HttpResponse("provider registration")


def my_organisation(request):
    return HttpResponse("org")


def review_queue(request):
    return HttpResponse("queue")
