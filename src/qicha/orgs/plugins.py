"""What the organisation app plugs into the platform (registered from OrgsConfig.ready())."""

from qicha.core import registry

from . import api, demo

registry.register_demo("orgs", registry.ORGS, demo.load_demo,
                       accounts=[(username, name, unit, text) for username, name, unit, _, text in demo.DEMO_USERS])

registry.register_router(api.public)  # sign-in: no token yet
registry.register_router(api.router)
