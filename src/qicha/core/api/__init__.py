"""The API toolkit every app's api.py uses: pagination, time format, the error shape. Sign-in (bearer token or
session) is the organisation's: orgs/api_auth.py. The NinjaAPI itself is assembled in qicha/api/urls.py."""
