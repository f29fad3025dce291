// `pnpm db:roles [prefix]` prints the SQL that gives each service its own role (default prefix `meridian`).
import { SERVICE_SCHEMAS, serviceRoleGrants } from './roles.js';

const prefix = process.argv[2] ?? 'meridian';
for (const schema of SERVICE_SCHEMAS) {
  const role = `${prefix}_${schema}`;
  console.log(`-- ${schema} service: create role ${role} login password '<secret>';`);
  for (const statement of serviceRoleGrants(schema, role)) console.log(`${statement};`);
}
