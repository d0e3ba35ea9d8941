"""The request owns the transaction: one dependency commits or rolls back, before the response is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        # Idempotent routes store their answer in this same transaction (see web/idempotency.py).
        request.state.db_session = session
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            # A failure here propagates to the error handler: the client never sees a 2xx
            # for a change that was not committed.
            await session.commit()


# scope="function": the commit runs when the endpoint returns, before the response is sent
# (the default "request" scope would run it after the client already has a 2xx).
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
