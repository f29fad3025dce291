// @meridian/addresses: what a valid postal address is, per country. The users service validates its
// address book with these rules and serves address forms from the same metadata; the cart validates
// the addresses typed into it the same way, so an address one accepts the other accepts too.
export { validateAddress, readPhone, type AddressFields, type AddressInput, type FieldViolation, type Validated } from './address.rules.js';
export { addressMetadata, nameKey, PHONE_MAX_LENGTH, type AddressFieldName, type AddressFieldRule, type CountryAddressMetadata, type Region, type RegionIndex } from './address.metadata.js';
