"""What every command shares: the service on the database the group's --db named."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from workshop.service.facade import WorkshopService


def service_for(ctx: click.Context) -> WorkshopService:
    """The service for this command, closed when the command ends. The store loads here,
    only for the commands that use it (the app's start-up must not wait for it)."""
    from workshop.service.facade import WorkshopService

    service = WorkshopService.open(ctx.find_root().obj)
    ctx.call_on_close(service.close)
    return service
