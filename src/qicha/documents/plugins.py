"""What the summary documents plug into the platform (registered from DocumentsConfig.ready())."""

from qicha.core import registry

from . import api

registry.register_router(api.router)
