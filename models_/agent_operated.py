"""Agent-operated: a manufacturer entrusted its store to an agent company."""

from __future__ import annotations

from typing import Any, ClassVar

from .base import (
    AGENT,
    Days,
    Destination,
    FulfilmentContext,
    Group,
    HoldRef,
    Line,
    LineQuote,
    Operator,
    ReturnRoute,
    SellingModelDefaults,
    SettingsError,
    ShipperRef,
    check_declared_settings,
)


class AgentOperated(SellingModelDefaults):
    code: ClassVar[str] = "agent_operated"
    label: ClassVar[str] = "Agent-operated"
    settings: ClassVar[dict[str, tuple[type, bool, str]]] = {
        "agent": (str, True, "the agent company that runs this brand's orders"),
    }

    def operator(self, settings: dict[str, Any]) -> Operator:
        return Operator(AGENT, settings.get("agent") or None, "agent")

    def check_settings(self, raw: dict[str, Any], context: FulfilmentContext) -> dict[str, Any]:
        settings = check_declared_settings(self, raw)
        if context.agent(settings["agent"]) is None:
            raise SettingsError(f"There is no agent company {settings['agent']!r}.", "agent")
        return settings

    def quote(self, line: Line, destination: Destination, context: FulfilmentContext) -> LineQuote:
        agent = context.agent(line.settings["agent"])
        if agent is None:
            return LineQuote(
                ShipperRef(AGENT, line.settings["agent"]),
                line.origin_country,
                Days(0, 0),
                available=False,
                problem="agent_unavailable",
            )
        return LineQuote(ShipperRef(AGENT, agent.code), agent.country, agent.handling)

    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: HoldRef,
        context: FulfilmentContext,
    ) -> None:
        """The agent holds its own stock; it accepts or refuses the order in its queue."""

    def start_fulfilment(
        self, group: Group, reference: HoldRef, context: FulfilmentContext
    ) -> None:
        context.route_to_agent(group, group.settings["agent"])

    def cancel(self, group: Group, reference: HoldRef, context: FulfilmentContext) -> None:
        """The group leaves the agent's queue with the order's status; nothing else to undo."""

    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute:
        agent = context.agent(group.settings["agent"])
        policy = agent.returns if agent else "Contact the shop."
        return ReturnRoute(group.shipper, policy)
