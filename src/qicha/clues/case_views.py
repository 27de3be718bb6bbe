"""Case pages: ledger, registration, detail with progress, actions and the 一案一整治 record."""
