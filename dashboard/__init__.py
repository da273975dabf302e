"""Karabakh 2020–2024 map dashboard: sourced data, a pure timeline engine and its views."""
