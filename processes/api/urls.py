"""API routes of the processes app (namespace ``processes-api``)."""

app_name = "processes-api"

urlpatterns: list = []
