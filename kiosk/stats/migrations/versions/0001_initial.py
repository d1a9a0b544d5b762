"""Initial stats schema: meta, counters, sessions, failures.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats_meta",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(64), nullable=False),
    )
    op.create_table(
        "stats_counters",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.create_table(
        "stats_sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("install_id", sa.String(36), nullable=False),
        sa.Column("app_version", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("visitor_language", sa.String(8), nullable=False),
        sa.Column("staff_language", sa.String(8), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("duration_s", sa.Integer, nullable=False),
        sa.Column("turns", sa.Integer, nullable=False),
        sa.Column("turns_speech", sa.Integer, nullable=False),
        sa.Column("turns_typed", sa.Integer, nullable=False),
        sa.Column("turns_phrasebook", sa.Integer, nullable=False),
        sa.Column("understood", sa.Integer, nullable=False),
        sa.Column("say_again", sa.Integer, nullable=False),
        sa.Column("unsure_shown", sa.Integer, nullable=False),
        sa.Column("verified", sa.Integer, nullable=False),
        sa.Column("pivots", sa.Integer, nullable=False),
        sa.Column("failures_total", sa.Integer, nullable=False),
        sa.Column("stt_ms", sa.Integer, nullable=True),
        sa.Column("mt_ms", sa.Integer, nullable=True),
        sa.Column("tts_ms", sa.Integer, nullable=True),
    )
    op.create_table(
        "stats_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "session_uuid",
            sa.String(36),
            sa.ForeignKey("stats_sessions.uuid", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("code", sa.String(48), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.UniqueConstraint("session_uuid", "code", name="uq_stats_failures_session_code"),
    )
    op.create_index("ix_stats_failures_session_uuid", "stats_failures", ["session_uuid"])


def downgrade() -> None:
    op.drop_table("stats_failures")
    op.drop_table("stats_sessions")
    op.drop_table("stats_counters")
    op.drop_table("stats_meta")
