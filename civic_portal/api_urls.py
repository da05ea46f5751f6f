from rest_framework.routers import DefaultRouter

from volunteering.api.urls import register as register_volunteering

router = DefaultRouter()
register_volunteering(router)

urlpatterns = router.urls
