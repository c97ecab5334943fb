import type { SimAdUser, SimClient, SimDevice, SimFollowup, SimKnowledge, SimTicket } from './records.ts';

/** TEST DOUBLE. The data the simulator starts with: a few tickets of each SUPPORT category, AD accounts, devices, clients, RAG entries. */

/** The collections the seed fills. */
export interface SeedTarget {
  now(): number;
  tickets: Map<number, SimTicket>;
  followups: SimFollowup[];
  users: Map<string, SimAdUser>;
  devices: Map<string, SimDevice>;
  clients: SimClient[];
  knowledge: SimKnowledge[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Fills the world with its seed data, dated relative to its clock. */
export function seedWorld(world: SeedTarget): void {
  const iso = (ms: number): string => new Date(ms).toISOString();

    const now = world.now();
    const ticket = (t: Partial<SimTicket> & Pick<SimTicket, 'id' | 'title' | 'content'>): void => {
      world.tickets.set(t.id, { requester: { login: null, email: null }, status: 'new', openedAt: now - 10 * MINUTE, category: null, entity: null, urgency: null, trackingId: null, tags: [], solution: null, resolvedAt: null, ...t });
    };
    // New tickets, one of each SUPPORT category.
    ticket({ id: 101, title: 'Mot de passe oublié', content: "Bonjour, j'ai oublié mon mot de passe, merci de le réinitialiser.", requester: { login: 'jdupont', email: 'jdupont@client.example' }, entity: 'Clients > Boulangerie Martin' });
    ticket({ id: 102, title: 'Compte verrouillé', content: "Mon compte est bloqué après trois essais, je ne peux plus ouvrir de session.", requester: { login: 'mmartin', email: 'mmartin@client.example' }, entity: 'Clients > Boulangerie Martin', openedAt: now - 5 * MINUTE });
    ticket({ id: 103, title: "Plus d'Internet au cabinet", content: "Depuis ce matin aucun poste n'accède à Internet, le téléphone fonctionne.", requester: { login: 'pdurand', email: 'pdurand@cabinet-durand.example' }, entity: 'Clients > Cabinet Durand', openedAt: now - 2 * MINUTE });
    ticket({ id: 104, title: "Demande d'un second écran", content: "Bonjour, serait-il possible d'avoir un second écran pour la comptabilité ?", requester: { login: 'slefevre', email: 'slefevre@cabinet-durand.example' }, entity: 'Clients > Cabinet Durand', openedAt: now - 1 * MINUTE });
    // A ticket waiting for the client's diagnostic, and its #DIAG followup.
    ticket({ id: 85, title: 'Connexion lente', content: 'La connexion est très lente depuis hier.', requester: { login: 'pdurand', email: 'pdurand@cabinet-durand.example' }, status: 'assigned', openedAt: now - 26 * HOUR });
    world.followups.push({ followup_id: 4001, ticket_id: 85, content: '#DIAG gw=ok int=fail dns=ok ping=45ms', is_private: false, date: iso(now - 3 * HOUR), at: now - 3 * HOUR });
    // Resolved tickets for the ENRICHISSEUR.
    ticket({ id: 90, title: "Imprimante du 2e étage bloquée, file d'attente pleine", content: "Les travaux restent en attente dans la file de l'imprimante HP du couloir, le spooler ne répond plus.", status: 'closed', openedAt: now - 30 * HOUR, resolvedAt: now - 6 * HOUR, solution: "Redémarrage du service spooler sur le serveur d'impression, purge des travaux bloqués, test d'impression réussi.", category: 'Matériel > Imprimante', tags: ['imprimante', 'spooler'] });
    ticket({ id: 91, title: 'Mot de passe expiré', content: 'Compte bloqué', status: 'closed', openedAt: now - 20 * HOUR, resolvedAt: now - 4 * HOUR, solution: 'Mot de passe réinitialisé', category: 'Compte', tags: ['ad'] });
    ticket({ id: 92, title: 'PC lent', content: 'lent', status: 'solved', openedAt: now - 50 * HOUR, resolvedAt: now - 40 * HOUR, solution: 'fait', category: '', tags: [] });

    const user = (username: string, display_name: string, locked = false, enabled = true): void => {
      world.users.set(username, { username, display_name, enabled, locked, password: 'Initial#Pass2026', must_change_at_next_logon: false, password_last_set: null });
    };
    user('jdupont', 'Jean Dupont');
    user('mmartin', 'Marie Martin', true);
    user('pdurand', 'Paul Durand');
    user('slefevre', 'Sophie Lefèvre');
    user('ancien.compte', 'Ancien Compte', false, false);

    world.clients.push(
      { name: 'Boulangerie Martin', entity: 'Clients > Boulangerie Martin', contacts: [{ name: 'Marie Martin', email: 'mmartin@client.example', phone: '+33 1 23 45 67 89' }], devices: ['SW-CLIENT-042'] },
      { name: 'Cabinet Durand', entity: 'Clients > Cabinet Durand', contacts: [{ name: 'Paul Durand', email: 'pdurand@cabinet-durand.example', phone: '+33 4 56 78 90 12' }], devices: ['FW-CLIENT-007'] },
    );
    const poll = iso(now - 2 * MINUTE);
    const device = (d: SimDevice): void => {
      world.devices.set(d.device_name.toLowerCase(), d);
    };
    device({ device_name: 'SW-CLIENT-042', client: 'Boulangerie Martin', ip: '10.42.0.2', type: 'network', status: 'down', uptime_seconds: 0, last_poll: poll, metrics: { latency_ms: null, packet_loss_pct: 100, traffic_in_mbps: 0, traffic_out_mbps: 0, cpu_pct: null }, history: [{ at: iso(now - 7 * 24 * HOUR), alert: 'Device Down', duration: '12m' }] });
    device({ device_name: 'FW-CLIENT-007', client: 'Cabinet Durand', ip: '10.7.0.1', type: 'firewall', status: 'up', uptime_seconds: 1_209_600, last_poll: poll, metrics: { latency_ms: 4, packet_loss_pct: 0, traffic_in_mbps: 12.5, traffic_out_mbps: 3.1, cpu_pct: 18 }, history: [] });
    device({ device_name: 'RTR-WIDIP-01', client: null, ip: '10.0.0.1', type: 'network', status: 'up', uptime_seconds: 5_184_000, last_poll: poll, metrics: { latency_ms: 1, packet_loss_pct: 0, traffic_in_mbps: 220, traffic_out_mbps: 180, cpu_pct: 35 }, history: [{ at: iso(now - 20 * 24 * HOUR), alert: 'High CPU', duration: '35m' }] });

    world.knowledge.push({ entry_id: 'kb_88', ticket_id: 91, problem_summary: 'Mot de passe expiré\nCompte bloqué', solution_summary: 'Mot de passe réinitialisé', category: 'Compte', tags: ['ad'], quality_score: 0.6, source: 'glpi' });
    world.knowledge.push({ entry_id: 'kb_42', ticket_id: 60, problem_summary: 'Switch client down, panne FAI sur la zone', solution_summary: "Ticket ouvert chez l'opérateur, lien rétabli après 2 h", category: 'Réseau', tags: ['fai', 'device', 'down'], quality_score: 0.8, source: 'glpi' });
}
