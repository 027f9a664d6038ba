"""Pages of the processes app (namespace ``processes``)."""

app_name = "processes"

urlpatterns: list = []
