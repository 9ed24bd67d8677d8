"""LLM providers the gateway proxies (its chat and sampling features), their models with
prices, and the usage billed against them."""

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, string_enum, utcnow
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.enums import HealthState, LlmProviderKind
from mcpgateway.db.models.metrics import MetricId
from mcpgateway.db.models.types import EncryptedText

PRICE = sa.Numeric(12, 6)  # US dollars per million tokens, to the micro-dollar


class LlmProvider(UUIDPrimaryKey, TimestampMixin, Base):
    """An LLM API endpoint with its credentials; the API key is kept encrypted."""

    __tablename__ = "llm_providers"

    name: Mapped[str] = mapped_column(sa.String(191), unique=True)
    kind: Mapped[LlmProviderKind] = mapped_column(string_enum(LlmProviderKind, "kind"))
    api_base: Mapped[str | None] = mapped_column(sa.String(767))
    api_key: Mapped[str | None] = mapped_column(EncryptedText)
    api_version: Mapped[str | None] = mapped_column(sa.String(32))
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    health_state: Mapped[HealthState | None] = mapped_column(
        string_enum(HealthState, "health_state")
    )
    last_health_check: Mapped[datetime | None]


class LlmModel(UUIDPrimaryKey, TimestampMixin, Base):
    """One model offered by a provider, with its limits and prices."""

    __tablename__ = "llm_models"
    __table_args__ = (
        sa.UniqueConstraint("provider_id", "model_id"),
        sa.CheckConstraint("input_price >= 0 AND output_price >= 0", name="non_negative_prices"),
    )

    provider_id: Mapped[str] = uuid_ref("llm_providers", "CASCADE")
    model_id: Mapped[str] = mapped_column(sa.String(191))
    display_name: Mapped[str | None] = mapped_column(sa.String(255))
    context_window: Mapped[int | None]
    max_output_tokens: Mapped[int | None]
    input_price: Mapped[Decimal] = mapped_column(PRICE, default=Decimal("0"))
    output_price: Mapped[Decimal] = mapped_column(PRICE, default=Decimal("0"))
    supports_tools: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    supports_vision: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_default: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class LlmUsageRecord(Base):
    """One completion: tokens in and out and what it cost; kept if the user goes."""

    __tablename__ = "llm_usage_records"

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    model_id: Mapped[str] = uuid_ref("llm_models", "CASCADE")
    user_email: Mapped[str | None] = user_ref("SET NULL")
    team_id: Mapped[str | None] = uuid_ref("email_teams", "SET NULL")
    occurred_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=sa.func.now(), index=True
    )
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    cost_usd: Mapped[Decimal] = mapped_column(sa.Numeric(14, 6), default=Decimal("0"))
    latency_ms: Mapped[int | None]
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
