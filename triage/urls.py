from django.urls import path

from triage import views

app_name = "triage"

urlpatterns = [
    path("", views.start, name="start"),
    path("q/<slug:question_id>/", views.question, name="question"),
    path("answers/", views.check_answers, name="answers"),
    path("result/", views.result, name="result"),
    path("result.pdf", views.result_pdf, name="result_pdf"),
    path("start-again/", views.start_again, name="start_again"),
]
