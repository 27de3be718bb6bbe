"""What the organisation app plugs into the platform (registered from OrgsConfig.ready())."""

from qicha.core import registry

from . import demo

registry.register_demo("orgs", registry.ORGS, demo.load_demo,
                       accounts=[(username, name, unit, text) for username, name, unit, _, text in demo.DEMO_USERS])
