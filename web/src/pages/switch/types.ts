/** Wire types of the switch API (server/src/switch/routes.ts). */

export interface SwitchNode {
  id: string;
  sipAddress: string;
  sipPort: number;
  version: string | null;
  configGeneration: string;
  status: string;
  connected: boolean;
  lastError: string | null;
  startedAt: string;
  lastSeenAt: string;
}

export interface SwitchStatus {
  connected: boolean;
  nodes: SwitchNode[];
  activeCalls: number;
  spool: { pending: number; failed: number };
  sync: { status: string; count: number; lastAt: string | null }[];
  monitoring: { up: number; down: number };
}

export interface LiveCall {
  switchId: string;
  callId: string;
  state: "ringing" | "answered";
  from: string;
  to: string;
  startedAt: string;
  answeredAt: string | null;
  durationS: number;
  ingressInterconnectId: string | null;
  serviceId: string | null;
  egressInterconnectId: string | null;
  attempt: number | null;
}

export interface InterconnectHealth {
  interconnectId: string;
  state: "up" | "down";
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  lastPingAt: string | null;
  lastRttMs: number | null;
  lastError: string | null;
  changedAt: string;
}
