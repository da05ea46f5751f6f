"""Pages of the pro bono bank: case_studies."""

urlpatterns: list = []
