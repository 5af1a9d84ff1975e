"""Zero-code entry for confluent_kafka: :mod:`forksafe.integrations.unsafe_clients` (detect, warn, raise)."""

from __future__ import annotations

from .unsafe_clients import entry

__all__ = ["install", "is_installed", "uninstall"]

install, uninstall, is_installed = entry("confluent_kafka")
