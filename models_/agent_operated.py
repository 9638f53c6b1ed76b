"""Agent-operated: a manufacturer entrusted its store to an agent company."""

from __future__ import annotations

from typing import Any, ClassVar

from .base import (
    Days,
    Destination,
    FulfilmentContext,
    Group,
    Line,
    LineQuote,
    ReturnRoute,
    SettingsError,
    check_declared_settings,
)


class AgentOperated:
    code: ClassVar[str] = "agent_operated"
    label: ClassVar[str] = "Agent-operated"
    settings: ClassVar[dict[str, tuple[type, bool, str]]] = {
        "agent": (str, True, "the agent company that runs this brand's orders"),
    }

    def check_settings(self, raw: dict[str, Any], context: FulfilmentContext) -> dict[str, Any]:
        settings = check_declared_settings(self, raw)
        if context.agent(settings["agent"]) is None:
            raise SettingsError(f"There is no agent company {settings['agent']!r}.", "agent")
        return settings

    def quote(self, line: Line, destination: Destination, context: FulfilmentContext) -> LineQuote:
        agent = context.agent(line.settings["agent"])
        if agent is None:
            return LineQuote(
                f"agent:{line.settings['agent']}",
                line.origin_country,
                Days(0, 0),
                available=False,
                problem="agent_unavailable",
            )
        handling = Days(agent["handling_min"], agent["handling_max"])
        return LineQuote(f"agent:{agent['code']}", agent["country"], handling)

    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: str,
        context: FulfilmentContext,
    ) -> None:
        """The agent holds its own stock; it accepts or refuses the order in its queue."""

    def start_fulfilment(self, group: Group, context: FulfilmentContext) -> None:
        context.route_to_agent(group, group.settings["agent"])

    def cancel(self, group: Group, reference: str, context: FulfilmentContext) -> None:
        """The group leaves the agent's queue with the order's status; nothing else to undo."""

    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute:
        agent = context.agent(group.settings["agent"])
        policy = agent["returns"] if agent else "Contact the shop."
        return ReturnRoute(group.shipper, policy)
