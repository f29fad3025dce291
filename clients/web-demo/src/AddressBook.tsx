import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import {
  AddAddressDocument,
  DeleteAddressDocument,
  MeDocument,
  UpdateAddressDocument,
  type AddressFieldsFragment,
  type CountryCode,
  type FailureFieldsFragment,
} from '@meridian/client';

const COUNTRIES: { code: CountryCode; name: string }[] = [
  { code: 'GB', name: 'United Kingdom' },
  { code: 'FR', name: 'France' },
  { code: 'DE', name: 'Germany' },
  { code: 'US', name: 'United States' },
];

interface AddressValues {
  fullName: string;
  line1: string;
  city: string;
  postalCode: string;
  countryCode: CountryCode;
}

/** What a failed mutation says, with the fields `ValidationFailed` names. */
function describeFailure(failure: FailureFieldsFragment): string {
  const fields = 'fields' in failure ? failure.fields.map((field) => `${field.field}: ${field.message}`) : [];
  return [failure.message, ...fields].join(' ');
}

function AddressForm({ label, initial, onSubmit }: { label: string; initial?: AddressFieldsFragment; onSubmit: (values: AddressValues) => Promise<string | null> }) {
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '');
    const values = { fullName: value('fullName'), line1: value('line1'), city: value('city'), postalCode: value('postalCode'), countryCode: value('countryCode') as CountryCode };
    const failure = await onSubmit(values).catch((thrown: unknown) => (thrown instanceof Error ? thrown.message : String(thrown)));
    setError(failure);
    if (!failure && !initial) form.reset();
  }
  return (
    <form aria-label={label} onSubmit={(event) => void submit(event)}>
      <label>
        Full name <input name="fullName" defaultValue={initial?.fullName ?? ''} required />
      </label>
      <label>
        Street <input name="line1" defaultValue={initial?.line1 ?? ''} required />
      </label>
      <label>
        City <input name="city" defaultValue={initial?.city ?? ''} required />
      </label>
      <label>
        Postal code <input name="postalCode" defaultValue={initial?.postalCode ?? ''} />
      </label>
      <label>
        Country
        <select name="countryCode" defaultValue={initial?.countryCode ?? 'GB'}>
          {COUNTRIES.map((country) => (
            <option key={country.code} value={country.code}>
              {country.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{label}</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

/**
 * The address book. Each mutation returns the user's whole address book (AddressBookFields), so the
 * normalized cache, and with it this list, is right afterwards without a refetch.
 */
export function AddressBook() {
  const { data, error } = useQuery(MeDocument);
  const [addAddress] = useMutation(AddAddressDocument);
  const [updateAddress] = useMutation(UpdateAddressDocument);
  const [deleteAddress] = useMutation(DeleteAddressDocument);
  const [editing, setEditing] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  if (error) return <p role="alert">{error.message}</p>;
  if (!data?.me) return <p>Loading…</p>;
  const { addresses, profile } = data.me;

  async function add(values: AddressValues) {
    const result = (await addAddress({ variables: { input: values } })).data?.addAddress;
    return result && result.__typename !== 'AddressAdded' ? describeFailure(result) : null;
  }

  async function remove(id: string) {
    const result = (await deleteAddress({ variables: { id } })).data?.deleteAddress;
    setFailure(result && result.__typename !== 'AddressDeleted' ? describeFailure(result) : null);
  }

  async function update(id: string, values: AddressValues) {
    const result = (await updateAddress({ variables: { id, input: values } })).data?.updateAddress;
    if (result && result.__typename !== 'AddressUpdated') return describeFailure(result);
    setEditing(null);
    return null;
  }

  return (
    <section>
      <h2>{profile?.displayName ? `${profile.displayName}’s addresses` : 'Your addresses'}</h2>
      {failure && <p role="alert">{failure}</p>}
      {addresses.length === 0 && <p>No addresses yet.</p>}
      <ul aria-label="Addresses">
        {addresses.map((address) => (
          <li key={address.id}>
            {editing === address.id ? (
              <AddressForm label="Save address" initial={address} onSubmit={(values) => update(address.id, values)} />
            ) : (
              <>
                <span>{[address.fullName, address.line1, `${address.postalCode ?? ''} ${address.city}`.trim(), address.countryCode].join(', ')}</span>{' '}
                <button onClick={() => setEditing(address.id)}>Edit</button>{' '}
                <button onClick={() => remove(address.id).catch((thrown: unknown) => setFailure(thrown instanceof Error ? thrown.message : String(thrown)))}>Delete</button>
              </>
            )}
          </li>
        ))}
      </ul>
      <h3>New address</h3>
      <AddressForm label="Add address" onSubmit={add} />
    </section>
  );
}
