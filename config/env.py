"""Typed, side-effect-free configuration read from HAVEN_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent

INSECURE_DEV_KEY = "haven-insecure-development-key-change-me-please-0123456789"


class HavenSettings(BaseSettings):
    """Every knob an operator may turn. Defaults give the embedded profile on one machine."""

    model_config = SettingsConfigDict(env_prefix="HAVEN_", extra="ignore")

    debug: bool = False
    production: bool = False
    secret_key: str = INSECURE_DEV_KEY
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["127.0.0.1", "localhost", "testserver"])
    csrf_trusted_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    data_dir: Path = BASE_DIR / "var"
    database_url: str = ""
    redis_url: str = ""
    storage_url: str = ""
    site_name: str = "Haven"
    default_language: Literal["en", "zh-hans"] = "en"
    # Uploads
    max_upload_bytes: int = 15 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_image_side: int = 12_000
    # Feeds
    feed_page_size: int = 20
    # Rate limits (per window)
    login_rate_per_minute: int = 10
    signup_rate_per_hour: int = 20
    # Task backend: "database" (default, real worker), "immediate" (tests, inline on commit)
    tasks_backend: Literal["database", "immediate"] = "database"
    log_level: str = "INFO"

    @field_validator("allowed_hosts", "csrf_trusted_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    def insecure_reasons(self) -> list[str]:
        """Why these settings must not be used in production (empty when they are fine)."""
        reasons = []
        if self.secret_key == INSECURE_DEV_KEY or len(self.secret_key) < 50:
            reasons.append("HAVEN_SECRET_KEY must be set to a random value of at least 50 characters")
        if self.debug:
            reasons.append("HAVEN_DEBUG must be off")
        if not self.allowed_hosts or "*" in self.allowed_hosts:
            reasons.append("HAVEN_ALLOWED_HOSTS must list the site's host names")
        return reasons


def load() -> HavenSettings:
    return HavenSettings()
