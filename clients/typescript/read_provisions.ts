// Reads the API through the types openapi-typescript generates from openapi.yaml (into
// provisions.d.ts beside this file): lists provisions, follows `next`, reads a change and a
// provision's JSON-LD. tests/test_clients.py compiles it with `tsc --strict` and runs it.
import type { components, paths } from "./provisions";

type ProvisionPage =
  paths["/v1/provisions"]["get"]["responses"][200]["content"]["application/json"];
type ChangesPage = paths["/v1/changes"]["get"]["responses"][200]["content"]["application/json"];
type LinkedProvision =
  paths["/v1/provisions/{id}"]["get"]["responses"][200]["content"]["application/ld+json"];
type Change = components["schemas"]["Change"];

export interface Reading {
  provisions: string[];
  pages: number;
  change: { sequence: number; action: Change["action"]; record: string | null };
  linkedData: { id: string; type: string; parts: string[] };
}

async function get<Body>(base: string, path: string, accept = "application/json"): Promise<Body> {
  const response = await fetch(new URL(path, base), { headers: { Accept: accept } });
  if (!response.ok) {
    throw new Error(`GET ${path}: ${response.status}`);
  }
  return (await response.json()) as Body;
}

export async function readProvisions(base: string, maxPages: number): Promise<Reading> {
  const provisions: string[] = [];
  let next: string | undefined = "/v1/provisions?limit=10";
  let pages = 0;
  while (next !== undefined && pages < maxPages) {
    const page: ProvisionPage = await get<ProvisionPage>(base, next);
    provisions.push(...page.data.map((provision) => provision.id));
    next = page.links.next;
    pages += 1;
  }

  const changes = await get<ChangesPage>(base, "/v1/changes?limit=1");
  const change = changes.data[0];
  if (change === undefined) {
    throw new Error("the change log is empty");
  }
  // A deletion (a tombstone) has no link to its record.
  const record = change.links.record ?? null;

  const first = provisions[0];
  if (first === undefined) {
    throw new Error("no provisions");
  }
  const node = await get<LinkedProvision>(base, `/v1/provisions/${first}`, "application/ld+json");
  const parts = (node.hasPart ?? []).map((part) => part["@id"]);

  return {
    provisions,
    pages,
    change: { sequence: change.sequence, action: change.action, record },
    linkedData: { id: node["@id"], type: node["@type"], parts },
  };
}
