"""Built-in tracing, OpenTelemetry-shaped: traces, their span tree, span events with typed
attributes, and the queries users save over them."""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import (
    UUID_LENGTH,
    Base,
    TimestampMixin,
    UUIDPrimaryKey,
    string_enum,
    utcnow,
)
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.enums import AttributeType, SpanKind, SpanStatus
from mcpgateway.db.models.metrics import MetricId
from mcpgateway.db.models.types import native_enum


class ObservabilityTrace(UUIDPrimaryKey, Base):
    """One request through the gateway, from the first byte in to the last byte out."""

    __tablename__ = "observability_traces"
    __table_args__ = (
        sa.CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
    )

    # The W3C trace id, a native UUID column (UUID on PostgreSQL, CHAR(32) elsewhere).
    otel_trace_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(sa.String(255))
    server_id: Mapped[str | None] = uuid_ref("servers", "SET NULL")
    user_email: Mapped[str | None] = user_ref("SET NULL")
    started_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=sa.func.now(), index=True
    )
    ended_at: Mapped[datetime | None]
    duration_ms: Mapped[float | None]
    status: Mapped[SpanStatus] = mapped_column(
        string_enum(SpanStatus, "status"), default=SpanStatus.UNSET
    )
    status_message: Mapped[str | None] = mapped_column(sa.Text)
    http_method: Mapped[str | None] = mapped_column(sa.String(10))
    http_url: Mapped[str | None] = mapped_column(sa.String(767))
    http_status_code: Mapped[int | None]
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    resource_attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ObservabilitySpan(UUIDPrimaryKey, Base):
    """One timed operation in a trace; child spans go with their parent."""

    __tablename__ = "observability_spans"
    __table_args__ = (
        sa.CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
    )

    trace_id: Mapped[str] = uuid_ref("observability_traces", "CASCADE")
    parent_span_id: Mapped[str | None] = mapped_column(
        sa.String(UUID_LENGTH),
        sa.ForeignKey("observability_spans.id", ondelete="CASCADE"),
        index=True,
    )
    name: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[SpanKind] = mapped_column(
        native_enum(SpanKind, "span_kind"), default=SpanKind.INTERNAL
    )
    status: Mapped[SpanStatus] = mapped_column(
        string_enum(SpanStatus, "status"), default=SpanStatus.UNSET
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None]
    duration_ms: Mapped[float | None]
    resource_type: Mapped[str | None] = mapped_column(sa.String(32))
    resource_name: Mapped[str | None] = mapped_column(sa.String(255))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ObservabilitySpanEvent(Base):
    """A point in time inside a span: a log line, an exception, a retry."""

    __tablename__ = "observability_span_events"

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    span_id: Mapped[str] = uuid_ref("observability_spans", "CASCADE")
    name: Mapped[str] = mapped_column(sa.String(255))
    occurred_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.now()
    )
    severity: Mapped[str | None] = mapped_column(sa.String(16))
    message: Mapped[str | None] = mapped_column(sa.Text)


class ObservabilitySpanEventAttribute(Base):
    """One typed key/value of a span event.

    The names are long on purpose: the naming convention makes
    ``fk_observability_span_event_attributes_observability_span_event_id_observability_span_events``
    and ``ix_observability_span_event_attributes_observability_span_event_id``, both longer
    than PostgreSQL's 63 and MariaDB's 64 characters, so each backend shortens them its way.
    """

    __tablename__ = "observability_span_event_attributes"
    __table_args__ = (sa.UniqueConstraint("observability_span_event_id", "key"),)

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    # The same variant type as the referenced key: BIGINT, or INTEGER on SQLite.
    observability_span_event_id: Mapped[int] = mapped_column(
        MetricId,
        sa.ForeignKey("observability_span_events.id", ondelete="CASCADE"),
        index=True,
    )
    key: Mapped[str] = mapped_column(sa.String(191))
    value_type: Mapped[AttributeType] = mapped_column(
        string_enum(AttributeType, "value_type"), default=AttributeType.STRING
    )
    value_text: Mapped[str | None] = mapped_column(sa.Text)
    value_number: Mapped[float | None] = mapped_column(sa.Float)
    value_bool: Mapped[bool | None]


class ObservabilitySavedQuery(UUIDPrimaryKey, TimestampMixin, Base):
    """A named filter over traces a user keeps, optionally shared with everyone."""

    __tablename__ = "observability_saved_queries"
    __table_args__ = (sa.UniqueConstraint("user_email", "name"),)

    user_email: Mapped[str] = user_ref("CASCADE")
    name: Mapped[str] = mapped_column(sa.String(191))
    description: Mapped[str | None] = mapped_column(sa.Text)
    filter_config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_shared: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    last_used_at: Mapped[datetime | None]
