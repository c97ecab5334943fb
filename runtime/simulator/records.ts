/** TEST DOUBLE. The records the simulator's in-memory world keeps (GLPI, AD, Observium, the RAG, notifications). */

interface Requester {
  login: string | null;
  email: string | null;
}

type TicketStatus = 'new' | 'assigned' | 'solved' | 'closed';

export interface SimTicket {
  id: number;
  title: string;
  content: string;
  requester: Requester;
  status: TicketStatus;
  openedAt: number;
  category: string | null;
  entity: string | null;
  urgency: number | null;
  trackingId: string | null;
  tags: string[];
  solution: string | null;
  resolvedAt: number | null;
}

export interface SimFollowup {
  followup_id: number;
  ticket_id: number;
  content: string;
  is_private: boolean;
  date: string;
  at: number;
}

export interface SimMail {
  message_id: string;
  ticket_id: number;
  to: string;
  subject: string;
  body: string;
  sent_at: string;
}

export interface SimAdUser {
  username: string;
  display_name: string;
  enabled: boolean;
  locked: boolean;
  /** The current password, in clear: this is a simulator. */
  password: string;
  must_change_at_next_logon: boolean;
  password_last_set: string | null;
}

export interface SimDevice {
  device_name: string;
  client: string | null;
  ip: string;
  type: string;
  status: 'up' | 'down';
  uptime_seconds: number;
  last_poll: string;
  metrics: { latency_ms: number | null; packet_loss_pct: number; traffic_in_mbps: number; traffic_out_mbps: number; cpu_pct: number | null };
  history: { at: string; alert: string; duration: string }[];
}

export interface SimClient {
  name: string;
  entity: string;
  contacts: { name: string; email: string; phone: string }[];
  devices: string[];
}

export interface SimSecret {
  id: string;
  secret: string;
  url: string;
  expires_at: string;
  max_views: number;
  views: number;
}

export interface SimKnowledge {
  entry_id: string;
  ticket_id: number;
  problem_summary: string;
  solution_summary: string;
  category: string | null;
  tags: string[];
  quality_score: number;
  source: string;
}

export interface SimNotification {
  notification_id: string;
  kind: 'client' | 'technician';
  client: string | null;
  ticket_id: number | null;
  severity: string | null;
  message: string;
  at: string;
}

/** A call the simulator answered, as it arrived. */
export interface SimCall {
  tool: string;
  args: Record<string, unknown>;
  key: string | null;
}
