"""Which model to talk to, and how: flags, then environment, then a profile, then defaults.

The config file (TOML, in the user config directory, or WORKSHOP_CONFIG) holds named
profiles. A profile names the environment variable that holds its key; the key itself is
read at run time and never written anywhere by the app.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from urllib.parse import ParseResult, urlparse

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from sessions.errors import describe_validation
from sessions.text import NESTED_TOO_DEEP
from workshop.drafting.reading import read_bounded
from workshop.errors import WorkshopError
from workshop.paths import config_path

DEFAULT_MODEL = "gpt-4o-mini"
# Local servers (Ollama, llama.cpp, vLLM) ignore the key, but the client insists on one.
PLACEHOLDER_KEY = "not-needed"
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

HOW_TO_CONNECT = (
    "No model is configured. Set WORKSHOP_MODEL (and OPENAI_API_KEY for OpenAI, or "
    "OPENAI_BASE_URL for a local server such as Ollama), or add a profile to "
    "{path}; see the README. Everything else works without a model."
)


class Profile(BaseModel):
    """One named way to reach a model, as written in the config file."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    base_url: str | None = None
    model: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    context_window: int = Field(128_000, ge=1_000)
    max_output_tokens: int = Field(2_000, ge=64)
    price_in: float | None = Field(None, ge=0, description="USD per million prompt tokens")
    price_out: float | None = Field(None, ge=0, description="USD per million output tokens")
    # None: up to 8, and one at a time once the server is seen to cut parallel answers.
    concurrency: int | None = Field(None, ge=1, le=64)
    timeout: float = Field(60.0, gt=0)
    max_retries: int = Field(2, ge=0, le=10)
    json_schema: bool | None = Field(None, description="None: find out from the endpoint")
    # Low, so the same person gets the same draft twice; servers default to about 0.8.
    temperature: float = Field(0.2, ge=0, le=2)

    @model_validator(mode="before")
    @classmethod
    def _no_key_in_the_file(cls, data: object) -> object:
        # Said before "extra inputs are not permitted" would be, and without the value.
        if isinstance(data, dict) and "api_key" in data:
            raise ValueError(
                "api_key: the key is never kept in the config file; put it in an "
                "environment variable and name that variable with api_key_env"
            )
        return data

    @field_validator("api_key_env")
    @classmethod
    def _a_variable_name(cls, value: str) -> str:
        # A key pasted here by mistake must not be echoed back in the message.
        if not ENV_NAME.fullmatch(value):
            raise ValueError(
                "must name an environment variable (such as OPENAI_API_KEY), not hold "
                "the key itself"
            )
        return value


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    default_profile: str | None = None
    profiles: dict[str, Profile] = {}
    # Key remapping for the app: binding id = "keys" (see the help screen for the ids).
    keys: dict[str, str] = {}


class ModelSettings(BaseModel):
    """Everything the engine needs for one endpoint and model, resolved."""

    model_config = ConfigDict(defer_build=True)

    profile: str | None
    base_url: str | None
    model: str
    api_key: SecretStr
    api_key_source: str  # the environment variable it came from, or "placeholder"
    context_window: int
    max_output_tokens: int
    price_in: float | None
    price_out: float | None
    concurrency: int | None
    timeout: float
    max_retries: int
    json_schema: bool | None
    temperature: float = 0.2

    @property
    def endpoint_host(self) -> str:
        """The host and port: what messages, the call log and dumps name the endpoint by.

        Never the URL's user part, which can hold a key (http://user:sk-…@host/v1).
        """
        if not self.base_url:
            return "api.openai.com"
        return _host_and_port(urlparse(self.base_url))

    def describe(self) -> dict[str, str]:
        """For `workshop doctor` and the status bar: never the key itself."""
        key = (
            "not needed (local endpoint)"
            if self.api_key_source == "placeholder"
            else f"set, from {self.api_key_source}"
        )
        return {
            "profile": self.profile or "(none)",
            "endpoint": shown_url(self.base_url or "https://api.openai.com/v1"),
            "model": self.model,
            "api key": key,
            "context window": f"{self.context_window:,} tokens",
            "concurrency": str(self.concurrency) if self.concurrency else "adapts (up to 8)",
            "prices": (
                f"${self.price_in}/M in, ${self.price_out}/M out"
                if self.price_in is not None and self.price_out is not None
                else "unknown"
            ),
        }


def _host_and_port(parsed: ParseResult) -> str:
    host = parsed.hostname or ""
    host = f"[{host}]" if ":" in host else host  # an IPv6 address
    return f"{host}:{parsed.port}" if parsed.port else host


def shown_url(url: str) -> str:
    """The URL as it may be shown: a user part (which can hold a key) becomes "…"."""
    parsed = urlparse(url)
    if parsed.username is None and parsed.password is None:
        return url
    return parsed._replace(netloc=f"…@{_host_and_port(parsed)}").geturl()


def checked_url(url: str) -> str:
    """The endpoint URL, if it is one a client can reach; else a WorkshopError saying so."""
    try:
        parsed = urlparse(url)
        parsed.port  # noqa: B018 -- reading it is the check: a bad port raises ValueError
        usable = parsed.scheme in ("http", "https") and bool(parsed.hostname)
    except ValueError:
        usable = False
    if not usable:
        shown = url if "@" not in url else "(a URL with a user part, not shown)"
        raise WorkshopError(
            f"The endpoint URL {shown!r} is not one a client can reach: give one such as "
            "http://127.0.0.1:8080/v1 (--base-url, OPENAI_BASE_URL or the profile's base_url)."
        )
    return url


MAX_CONFIG_BYTES = 1_000_000  # a config file is a few hundred bytes


def load_config(path: Path | None = None) -> ConfigFile:
    path = path or config_path()
    try:
        data = tomllib.loads(read_bounded(path, MAX_CONFIG_BYTES, "config file").decode("utf-8"))
    except FileNotFoundError:
        return ConfigFile()
    except (OSError, UnicodeDecodeError) as error:
        raise WorkshopError(f"{path}: cannot read the config file ({error}).") from None
    except tomllib.TOMLDecodeError as error:
        raise WorkshopError(f"{path}: not valid TOML ({error}).") from None
    except RecursionError:
        raise WorkshopError(f"{path}: {NESTED_TOO_DEEP}") from None
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as error:
        raise WorkshopError(f"{path}: {describe_validation(error)}") from None


def resolve_settings(
    profile: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    config: ConfigFile | None = None,
) -> ModelSettings | None:
    """The settings to draft with, or None when nothing says which model to use."""
    config = config if config is not None else load_config()
    env = os.environ
    profile_name = profile or env.get("WORKSHOP_PROFILE") or config.default_profile
    if profile_name and profile_name not in config.profiles:
        known = ", ".join(sorted(config.profiles)) or "none defined"
        raise WorkshopError(f"No profile named {profile_name!r} in {config_path()} ({known}).")
    chosen = config.profiles.get(profile_name or "", Profile())
    base_url = base_url or env.get("OPENAI_BASE_URL") or chosen.base_url
    key = env.get(chosen.api_key_env, "").strip()
    model = model or env.get("WORKSHOP_MODEL") or chosen.model
    if not model:
        if not key:
            return None
        model = DEFAULT_MODEL
    if base_url:
        base_url = checked_url(base_url)
    if not key and not base_url:
        raise WorkshopError(
            f"The model {model!r} is on OpenAI, but {chosen.api_key_env} is not set; "
            "export your key there, or set OPENAI_BASE_URL for a local server."
        )
    return ModelSettings(
        profile=profile_name,
        base_url=base_url,
        model=model,
        api_key=SecretStr(key or PLACEHOLDER_KEY),
        api_key_source=chosen.api_key_env if key else "placeholder",
        **chosen.model_dump(exclude={"base_url", "model", "api_key_env"}),
    )


def no_model_message() -> str:
    return HOW_TO_CONNECT.format(path=config_path())
