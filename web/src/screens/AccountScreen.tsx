import { useState, type FormEvent } from "react";
import type { Schemas } from "../api/client";
import { ApiError } from "../api/errors";
import { useAddMember, useCreateKey, useCredits, useKeys, useMe, useMembers, usePlan, useRemoveMember, useRevokeKey, useSetRole, useUsage } from "../api/hooks/accounts";
import { Card } from "../components/Card";
import { Alert, ErrorState, Loading } from "../components/States";
import { formatDate } from "../lib/format";

const ROLES: Schemas["RoleIn"]["role"][] = ["viewer", "analyst", "admin", "owner"];

/** The workspace's plan and credits, usage per month, members (admins) and API keys. */
export function AccountScreen() {
  const me = useMe();
  const role = me.data?.role ?? "viewer";
  const isAdmin = role === "admin" || role === "owner";
  return (
    <div className="stack">
      <PlanCard />
      <UsageCard />
      {isAdmin && <MembersCard canMakeOwner={role === "owner"} />}
      <KeysCard role={role} />
    </div>
  );
}

function PlanCard() {
  const plan = usePlan();
  const credits = useCredits();
  if (plan.isLoading || credits.isLoading) return <Loading what="Loading the plan" />;
  if (plan.isError) return <ErrorState error={plan.error} />;
  if (credits.isError) return <ErrorState error={credits.error} />;
  const p = plan.data!;
  const c = credits.data!;
  return (
    <Card title="Plan and credits" subtitle={p.metered ? `Tier ${p.tier_label ?? p.tier} · balance ${c.balance} credits` : "Unmetered workspace: no tier and no credit charges."}>
      <table className="table small" aria-label="Features">
        <thead>
          <tr>
            <th>Feature</th>
            <th>Credits per use</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {p.features.map((f) => (
            <tr key={f.name} data-locked={!f.included}>
              <td>{f.label}</td>
              <td>{f.credits}</td>
              <td>{f.included ? "included" : <span title={f.reason ?? undefined}>🔒 {f.reason}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.metered && c.entries.length > 0 && (
        <details>
          <summary className="small">Recent ledger entries</summary>
          <table className="table small" aria-label="Ledger">
            <tbody>
              {c.entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.created_at)}</td>
                  <td>{e.kind}</td>
                  <td>{e.amount > 0 ? `+${e.amount}` : e.amount}</td>
                  <td>{e.feature ?? ""}</td>
                  <td className="muted">{e.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </Card>
  );
}

function UsageCard() {
  const usage = useUsage();
  if (usage.isLoading) return <Loading what="Loading usage" />;
  if (usage.isError) return <ErrorState error={usage.error} />;
  const rows = usage.data!.items;
  return (
    <Card title="Usage" subtitle="Credits used per feature per month (UTC), net of refunds.">
      {rows.length === 0 ? (
        <p className="muted small">No credits used yet.</p>
      ) : (
        <table className="table small" aria-label="Usage per month">
          <thead>
            <tr>
              <th>Month</th>
              <th>Feature</th>
              <th>Uses</th>
              <th>Credits</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.month}-${r.feature}`}>
                <td>{r.month}</td>
                <td>{r.feature}</td>
                <td>{r.uses}</td>
                <td>{r.credits}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function errorText(e: unknown): string | null {
  if (!e) return null;
  const a = ApiError.from(e);
  return a.detail || a.title;
}

function MembersCard({ canMakeOwner }: { canMakeOwner: boolean }) {
  const members = useMembers(true);
  const add = useAddMember();
  const setRole = useSetRole();
  const remove = useRemoveMember();
  const [email, setEmail] = useState("");
  const [role, setNewRole] = useState<Schemas["RoleIn"]["role"]>("analyst");
  const grantable = ROLES.filter((r) => r !== "owner" || canMakeOwner);
  const failure = errorText(add.error ?? setRole.error ?? remove.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate({ email, role }, { onSuccess: () => setEmail("") });
  }

  return (
    <Card title="Members" subtitle="People of this workspace and their roles. A new address gets an invitation link.">
      {members.isLoading && <Loading what="Loading members" />}
      {members.isError && <ErrorState error={members.error} />}
      {members.data && (
        <table className="table small" aria-label="Members">
          <tbody>
            {members.data.items.map((m) => (
              <tr key={m.user_id}>
                <td>{m.email}</td>
                <td>
                  <select className="select" aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => setRole.mutate({ userId: m.user_id, role: e.target.value as Schemas["RoleIn"]["role"] })}>
                    {ROLES.map((r) => (
                      <option key={r} disabled={!grantable.includes(r)}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" className="btn btn-sm btn-secondary" onClick={() => remove.mutate(m.user_id)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="row" onSubmit={submit} style={{ gap: 8, marginTop: 12 }}>
        <input className="input" type="email" aria-label="Email of the new member" placeholder="name@example.com" value={email} onChange={(e) => setEmail(e.target.value)} />
        <select className="select" aria-label="Role of the new member" value={role} onChange={(e) => setNewRole(e.target.value as Schemas["RoleIn"]["role"])}>
          {grantable.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button className="btn btn-sm" type="submit" disabled={!email.trim() || add.isPending}>
          Add member
        </button>
      </form>
      {failure && <Alert tone="error">{failure}</Alert>}
    </Card>
  );
}

function KeysCard({ role }: { role: string }) {
  const keys = useKeys();
  const create = useCreateKey();
  const revoke = useRevokeKey();
  const [name, setName] = useState("");
  const failure = errorText(create.error ?? revoke.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name, expires_in_days: 90 }, { onSuccess: () => setName("") });
  }

  return (
    <Card title="API keys" subtitle={`Keys act with at most your role (${role}). Only the first characters are kept for listing.`}>
      {keys.isLoading && <Loading what="Loading keys" />}
      {keys.isError && <ErrorState error={keys.error} />}
      {keys.data && (
        <table className="table small" aria-label="API keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Role</th>
              <th>Owner</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{k.role}</td>
                <td>{k.user_email ?? "operator"}</td>
                <td>{k.revoked_at ? "revoked" : k.expires_at ? formatDate(k.expires_at) : "never"}</td>
                <td>
                  {!k.revoked_at && (
                    <button type="button" className="btn btn-sm btn-secondary" onClick={() => revoke.mutate(k.id)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="row" onSubmit={submit} style={{ gap: 8, marginTop: 12 }}>
        <input className="input" aria-label="Name of the new key" placeholder="e.g. laptop" value={name} onChange={(e) => setName(e.target.value)} />
        <button className="btn btn-sm" type="submit" disabled={!name.trim() || create.isPending}>
          Create key (90 days)
        </button>
      </form>
      {create.data && (
        <Alert tone="good">
          New key, shown once: <code>{create.data.key}</code>
        </Alert>
      )}
      {failure && <Alert tone="error">{failure}</Alert>}
    </Card>
  );
}
