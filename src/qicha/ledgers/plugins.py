"""What the sector ledgers plug into the platform (registered from LedgersConfig.ready())."""
