def iso_time(moment) -> str | None:
    """api.md: times are ISO 8601 in Beijing time (+08:00), to the second."""
    return moment.astimezone().isoformat(timespec="seconds") if moment else None
