"""Pages of the pro bono bank: proposals."""

urlpatterns: list = []
