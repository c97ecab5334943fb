/** A past incident as vector memory returns it, with its similarity score (0..1). */
export interface MemoryHit {
  score: number;
  intent: string;
  target: string | null;
  success: boolean;
  risk: string;
  summary?: string;
  [key: string]: unknown;
}

export interface VectorMemory {
  search(text: string, top: number): Promise<MemoryHit[]>;
  remember(incident: { text: string; intent: string; target: string | null; success: boolean; risk: string; summary?: string }): Promise<void>;
}
