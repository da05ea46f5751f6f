"""Pages of the pro bono bank: projects."""

urlpatterns: list = []
