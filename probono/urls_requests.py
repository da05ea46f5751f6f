"""Pages of support requests and the concierge workflow."""

urlpatterns: list = []
