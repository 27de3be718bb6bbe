"""What the organisation app plugs into the platform (registered from OrgsConfig.ready())."""

from qicha.core import registry

from . import api, demo, search
from .services.second_factor import first_seed_error, reseal_seeds

registry.register_demo("orgs", registry.ORGS, demo.load_demo,
                       accounts=[(username, name, unit, text) for username, name, unit, _, text in demo.DEMO_USERS])

registry.register_router(api.public)  # sign-in: no token yet
registry.register_router(api.router)

registry.register_sealed("otp_totp.TOTPDevice.key", reseal=reseal_seeds, first_error=first_seed_error)  # TOTP seeds

registry.register_search("units", "单位", 40, search.search)
