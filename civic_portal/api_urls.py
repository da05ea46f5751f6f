from campaigns.api.views import register as register_campaigns
from civic_portal.api_router import PortalRouter
from facilitation.api.urls import register as register_facilitation
from groups.api.urls import register as register_groups
from indicators.api.urls import register as register_indicators
from probono.api.urls import register as register_probono
from volunteering.api.urls import register as register_volunteering

router = PortalRouter()
register_volunteering(router)
register_groups(router)
register_probono(router)
register_indicators(router)
register_facilitation(router)
register_campaigns(router)

urlpatterns = router.urls
