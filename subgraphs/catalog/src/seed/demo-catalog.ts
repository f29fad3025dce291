import { stringify } from 'uuid';
import type { Sql } from '@meridian/db';
import { NODE_TYPE_CODES } from '@meridian/platform/node-id';
import { searchConfigFor } from '../products/search-config.rules.js';

/**
 * A deterministic demo shop: the same categories, products, variants, ids and prices on every run, so
 * the README's queries answer the same everywhere and other services (inventory) can seed data for the
 * same variant ids (`demoCatalog(n).variants`). 4 languages, prices in EUR, USD and GBP at real-world
 * price points; every seventh product has no GBP price, so GBP shows converted prices.
 */

export const DEMO_LOCALES = ['en', 'de', 'fr', 'es'] as const;
export const DEMO_CURRENCIES = ['EUR', 'USD', 'GBP'] as const;
type Text = Record<(typeof DEMO_LOCALES)[number], string>;

/** 2026-01-01: the timestamp of the first demo id; ids count up from it, one millisecond apart. */
const BASE_MS = 1_767_225_600_000;

/** A UUIDv7 made from a counter instead of the clock: deterministic, time-ordered, with a node type code when given. */
function demoId(sequence: number, typeCode = 0): string {
  const bytes = new Uint8Array(16);
  const ms = BASE_MS + sequence;
  for (let index = 0; index < 6; index++) bytes[index] = Math.floor(ms / 2 ** (8 * (5 - index))) % 256;
  bytes[6] = 0x70;
  bytes[8] = 0x80;
  let state = (sequence * 2_654_435_761) >>> 0;
  for (let index = 9; index < 16; index++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    bytes[index] = state >>> 24;
  }
  bytes[15] = typeCode === 0 ? bytes[15]! : typeCode;
  return stringify(bytes);
}

interface CategorySeed {
  key: string;
  parent: string | null;
  names: Text;
  /** The kinds of product it holds, each named per language. */
  nouns: Text[];
  /** Euro price points of its products, in cents. */
  prices: number[];
  options: 'apparel' | 'bike' | 'none';
}

const t = (en: string, de: string, fr: string, es: string): Text => ({ en, de, fr, es });

const CATEGORIES: CategorySeed[] = [
  { key: 'bikes', parent: null, names: t('Bikes', 'Fahrräder', 'Vélos', 'Bicicletas'), nouns: [t('Bike', 'Fahrrad', 'Vélo', 'Bicicleta'), t('Cargo Bike', 'Lastenrad', 'Vélo cargo', 'Bicicleta de carga'), t('Kids Bike', 'Kinderfahrrad', 'Vélo enfant', 'Bicicleta infantil')], prices: [49_900, 79_900], options: 'bike' },
  { key: 'mountain-bikes', parent: 'bikes', names: t('Mountain bikes', 'Mountainbikes', 'VTT', 'Bicicletas de montaña'), nouns: [t('Mountain Bike', 'Mountainbike', 'VTT', 'Bicicleta de montaña'), t('Hardtail', 'Hardtail', 'VTT semi-rigide', 'Bicicleta rígida'), t('Full Suspension Bike', 'Fully', 'VTT tout suspendu', 'Bicicleta de doble suspensión')], prices: [89_900, 129_900, 249_900], options: 'bike' },
  { key: 'road-bikes', parent: 'bikes', names: t('Road bikes', 'Rennräder', 'Vélos de route', 'Bicicletas de carretera'), nouns: [t('Road Bike', 'Rennrad', 'Vélo de route', 'Bicicleta de carretera'), t('Gravel Bike', 'Gravelbike', 'Vélo gravel', 'Bicicleta gravel'), t('Triathlon Bike', 'Triathlonrad', 'Vélo de triathlon', 'Bicicleta de triatlón')], prices: [99_900, 179_900, 349_900], options: 'bike' },
  { key: 'city-bikes', parent: 'bikes', names: t('City bikes', 'Stadträder', 'Vélos de ville', 'Bicicletas urbanas'), nouns: [t('City Bike', 'Stadtrad', 'Vélo de ville', 'Bicicleta urbana'), t('E-Bike', 'E-Bike', 'Vélo électrique', 'Bicicleta eléctrica'), t('Folding Bike', 'Faltrad', 'Vélo pliant', 'Bicicleta plegable')], prices: [44_900, 69_900], options: 'bike' },
  { key: 'outdoor', parent: null, names: t('Outdoor', 'Outdoor', 'Plein air', 'Aire libre'), nouns: [t('Camping Lantern', 'Campinglaterne', 'Lanterne de camping', 'Farol de camping'), t('Camping Stove', 'Campingkocher', 'Réchaud de camping', 'Hornillo de camping'), t('Sleeping Bag', 'Schlafsack', 'Sac de couchage', 'Saco de dormir')], prices: [1_999, 2_999], options: 'none' },
  { key: 'tents', parent: 'outdoor', names: t('Tents', 'Zelte', 'Tentes', 'Tiendas de campaña'), nouns: [t('Tent', 'Zelt', 'Tente', 'Tienda de campaña'), t('Dome Tent', 'Kuppelzelt', 'Tente dôme', 'Tienda iglú'), t('Tunnel Tent', 'Tunnelzelt', 'Tente tunnel', 'Tienda túnel')], prices: [8_995, 14_900, 29_900], options: 'none' },
  { key: 'backpacks', parent: 'outdoor', names: t('Backpacks', 'Rucksäcke', 'Sacs à dos', 'Mochilas'), nouns: [t('Backpack', 'Rucksack', 'Sac à dos', 'Mochila'), t('Daypack', 'Tagesrucksack', 'Sac de journée', 'Mochila de día'), t('Hydration Pack', 'Trinkrucksack', "Sac d'hydratation", 'Mochila de hidratación')], prices: [4_995, 7_999, 12_900], options: 'none' },
  { key: 'clothing', parent: null, names: t('Clothing', 'Bekleidung', 'Vêtements', 'Ropa'), nouns: [t('T-Shirt', 'T-Shirt', 'T-shirt', 'Camiseta'), t('Hoodie', 'Kapuzenpullover', 'Sweat à capuche', 'Sudadera'), t('Hiking Trousers', 'Wanderhose', 'Pantalon de randonnée', 'Pantalón de senderismo')], prices: [1_999, 2_499], options: 'apparel' },
  { key: 'jackets', parent: 'clothing', names: t('Jackets', 'Jacken', 'Vestes', 'Chaquetas'), nouns: [t('Rain Jacket', 'Regenjacke', 'Veste de pluie', 'Chaqueta impermeable'), t('Down Jacket', 'Daunenjacke', 'Doudoune', 'Chaqueta de plumas'), t('Softshell Jacket', 'Softshelljacke', 'Veste softshell', 'Chaqueta softshell')], prices: [8_999, 14_999, 24_900], options: 'apparel' },
  { key: 'shoes', parent: 'clothing', names: t('Shoes', 'Schuhe', 'Chaussures', 'Zapatos'), nouns: [t('Hiking Boots', 'Wanderschuhe', 'Chaussures de randonnée', 'Botas de montaña'), t('Trail Running Shoes', 'Trailrunningschuhe', 'Chaussures de trail', 'Zapatillas de trail'), t('Sandals', 'Sandalen', 'Sandales', 'Sandalias')], prices: [7_995, 11_995, 15_900], options: 'apparel' },
];

const BRANDS = [
  'Alpina', 'Nordwind', 'Vela', 'Sierra', 'Kestrel', 'Brisa', 'Falke', 'Orca', 'Lumen', 'Tundra', 'Mistral', 'Condor', 'Fjord', 'Solano', 'Bergfink', 'Cima',
  'Helix', 'Ibex', 'Juniper', 'Karst', 'Lynx', 'Marmot Peak', 'Nimbus', 'Ostwind', 'Pinto', 'Quarzo', 'Rivage', 'Saltoro', 'Taiga', 'Umbra', 'Vento', 'Wildspitze',
  'Xisto', 'Yukon Trail', 'Zephyr', 'Arête', 'Boreal Line', 'Cumbre', 'Dolomit', 'Estrela',
];
const MODELS = [
  'Trail', 'Summit', 'Ridge', 'Urban', 'Aero', 'Terra', 'Nova', 'Pulse', 'Vista', 'Storm', 'Canyon', 'Glacier', 'Horizon', 'Meridian', 'Pioneer',
  'Quest', 'Ranger', 'Scout', 'Tempo', 'Voyager', 'Atlas', 'Breeze', 'Comet', 'Delta', 'Echo', 'Flux', 'Granite', 'Harbor', 'Island', 'Jetstream',
];
const ADJECTIVE: Record<(typeof DEMO_LOCALES)[number], string[]> = {
  en: ['lightweight', 'durable', 'waterproof', 'comfortable', 'versatile'],
  de: ['leichtes', 'robustes', 'wasserdichtes', 'bequemes', 'vielseitiges'],
  fr: ['léger', 'robuste', 'imperméable', 'confortable', 'polyvalent'],
  es: ['ligero', 'resistente', 'impermeable', 'cómodo', 'versátil'],
};
const DESCRIPTION: Text = {
  en: 'A {adjective} {noun} by {brand}, built for everyday adventures and long weekends outdoors.',
  de: 'Ein {adjective} {noun} von {brand}, gemacht für Alltagsabenteuer und lange Wochenenden draußen.',
  fr: 'Un {noun} {adjective} de {brand}, conçu pour les aventures du quotidien et les longs week-ends dehors.',
  es: 'Un {noun} {adjective} de {brand}, pensado para aventuras diarias y largos fines de semana al aire libre.',
};

const OPTION_GROUPS = {
  size: { names: { en: 'Size', de: 'Größe', fr: 'Taille', es: 'Talla' }, values: { s: 'S', m: 'M', l: 'L', xl: 'XL' } },
  colour: {
    names: { en: 'Colour', de: 'Farbe', fr: 'Couleur', es: 'Color' },
    values: { black: { en: 'Black', de: 'Schwarz', fr: 'Noir', es: 'Negro' }, blue: { en: 'Blue', de: 'Blau', fr: 'Bleu', es: 'Azul' }, red: { en: 'Red', de: 'Rot', fr: 'Rouge', es: 'Rojo' } },
  },
  frame: { names: { en: 'Frame size', de: 'Rahmengröße', fr: 'Taille du cadre', es: 'Talla de cuadro' }, values: { '52': '52 cm', '56': '56 cm', '60': '60 cm' } },
} as const;

/** Rounds a converted price to the usual price point: whole units minus one cent (`21.99`). */
const pricePoint = (cents: number) => Math.max(99, Math.round(cents / 100) * 100 - 1);

export interface DemoCatalog {
  categories: { id: string; parentId: string | null; position: number; names: Text; slugs: Text }[];
  optionGroups: { id: string; code: string; names: Record<string, string>; position: number }[];
  optionValues: { id: string; groupId: string; code: string; names: Record<string, string>; position: number }[];
  products: { id: string; categoryId: string; translations: { locale: string; name: string; slug: string; description: string }[] }[];
  variants: { id: string; productId: string; sku: string; position: number; optionValueIds: string[]; prices: { currency: string; amountMinor: bigint }[] }[];
  images: { id: string; productId: string; url: string; width: number; height: number; alt: Record<string, string> }[];
}

const slugOf = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The demo catalog with `productCount` products (200 for `pnpm start`, 100 000 for the benchmark). */
export function demoCatalog(productCount = 200): DemoCatalog {
  let sequence = 0;
  const next = (typeCode = 0) => demoId(sequence++, typeCode);
  const catalog: DemoCatalog = { categories: [], optionGroups: [], optionValues: [], products: [], variants: [], images: [] };

  const categoryIds = new Map<string, string>();
  CATEGORIES.forEach((category, position) => {
    const id = next();
    categoryIds.set(category.key, id);
    const slugs = Object.fromEntries(DEMO_LOCALES.map((locale) => [locale, slugOf(category.names[locale])])) as Text;
    catalog.categories.push({ id, parentId: category.parent ? categoryIds.get(category.parent)! : null, position, names: category.names, slugs });
  });

  const valueIds = new Map<string, string>();
  Object.entries(OPTION_GROUPS).forEach(([code, group], position) => {
    const groupId = next();
    catalog.optionGroups.push({ id: groupId, code, names: group.names, position });
    Object.entries(group.values).forEach(([valueCode, names], valuePosition) => {
      const id = next();
      valueIds.set(`${code}:${valueCode}`, id);
      catalog.optionValues.push({ id, groupId, code: valueCode, names: typeof names === 'string' ? { en: names } : names, position: valuePosition });
    });
  });

  for (let index = 0; index < productCount; index++) {
    // Every product's name is distinct: category, kind, brand, model and number follow from its index.
    const category = CATEGORIES[index % CATEGORIES.length]!;
    const noun = category.nouns[Math.floor(index / CATEGORIES.length) % 3]!;
    const brand = BRANDS[Math.floor(index / (CATEGORIES.length * 3)) % BRANDS.length]!;
    const perModel = CATEGORIES.length * 3 * BRANDS.length;
    const model = `${MODELS[Math.floor(index / perModel) % MODELS.length]!} ${100 + Math.floor(index / (perModel * MODELS.length))}`;
    const productId = next(NODE_TYPE_CODES.Product);
    const translations = DEMO_LOCALES.map((locale) => {
      const name = `${brand} ${noun[locale]} ${model}`;
      const adjective = ADJECTIVE[locale][index % ADJECTIVE[locale].length]!;
      return {
        locale,
        name,
        slug: slugOf(name),
        description: DESCRIPTION[locale].replace('{adjective}', adjective).replace('{noun}', noun[locale]).replace('{brand}', brand),
      };
    });
    catalog.products.push({ id: productId, categoryId: categoryIds.get(category.key)!, translations });

    const euro = category.prices[index % category.prices.length]!;
    const options: string[][] =
      category.options === 'apparel' ? ['s', 'm', 'l'].map((size, colour) => [`size:${size}`, `colour:${['black', 'blue', 'red'][(index + colour) % 3]}`])
      : category.options === 'bike' ? ['52', '56', '60'].map((frame) => [`frame:${frame}`])
      : [[]];
    options.forEach((values, position) => {
      const prices = [
        { currency: 'EUR', amountMinor: BigInt(euro) },
        { currency: 'USD', amountMinor: BigInt(pricePoint(euro * 1.09)) },
        ...(index % 7 === 6 ? [] : [{ currency: 'GBP', amountMinor: BigInt(pricePoint(euro * 0.86)) }]),
      ];
      catalog.variants.push({
        id: next(NODE_TYPE_CODES.ProductVariant),
        productId,
        sku: `${category.key.slice(0, 3).toUpperCase()}-${String(index + 1).padStart(6, '0')}-${position + 1}`,
        position,
        optionValueIds: values.map((value) => valueIds.get(value)!),
        prices,
      });
    });

    catalog.images.push({
      id: next(),
      productId,
      url: `https://picsum.photos/seed/meridian-${index + 1}/800/800`,
      width: 800,
      height: 800,
      alt: Object.fromEntries(translations.map((translation) => [translation.locale, translation.name])),
    });
  }
  return catalog;
}

/** jsonb values are sent as their text: the pool has no JSON serializer for untyped parameters. */
const json = (value: Record<string, string>) => JSON.stringify(value);

/** Rows per INSERT: well under PostgreSQL's 65 535 parameters for the widest table. */
const BATCH = 2_000;

async function insertAll(sql: Sql, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    await sql`insert into ${sql(`catalog.${table}`)} ${sql(batch as Record<string, never>[])}`;
  }
}

/**
 * Writes the demo catalog unless the catalog holds products already; the variant ids of the catalog
 * it describes either way, so the caller can seed what depends on them.
 */
export async function seedDemoCatalog(sql: Sql, options: { products?: number } = {}): Promise<{ seeded: boolean; variantIds: string[] }> {
  const catalog = demoCatalog(options.products);
  const variantIds = catalog.variants.map((variant) => variant.id);
  const [existing] = await sql<{ any: boolean }[]>`select exists (select 1 from catalog.products) as any`;
  if (existing?.any) return { seeded: false, variantIds };
  await sql.begin(async (tx) => {
    const run = tx as unknown as Sql;
    await insertAll(run, 'categories', catalog.categories.map((row) => ({ id: row.id, parent_id: row.parentId, position: row.position, names: json(row.names), slugs: json(row.slugs) })));
    await insertAll(run, 'option_groups', catalog.optionGroups.map((row) => ({ id: row.id, code: row.code, names: json(row.names), position: row.position })));
    await insertAll(run, 'option_values', catalog.optionValues.map((row) => ({ id: row.id, group_id: row.groupId, code: row.code, names: json(row.names), position: row.position })));
    await insertAll(run, 'products', catalog.products.map((row) => ({ id: row.id, category_id: row.categoryId })));
    await insertAll(
      run,
      'product_translations',
      catalog.products.flatMap((product) => product.translations.map((translation) => ({ product_id: product.id, ...translation, search_config: searchConfigFor(translation.locale) }))),
    );
    await insertAll(
      run,
      'product_slugs',
      catalog.products.flatMap((product) => product.translations.map((translation) => ({ locale: translation.locale, slug: translation.slug, product_id: product.id }))),
    );
    await insertAll(run, 'variants', catalog.variants.map((row) => ({ id: row.id, product_id: row.productId, sku: row.sku, position: row.position })));
    await insertAll(run, 'variant_option_values', catalog.variants.flatMap((variant) => variant.optionValueIds.map((optionValueId) => ({ variant_id: variant.id, option_value_id: optionValueId }))));
    await insertAll(
      run,
      'variant_prices',
      catalog.variants.flatMap((variant) => variant.prices.map((price) => ({ variant_id: variant.id, currency: price.currency, amount_minor: price.amountMinor.toString() }))),
    );
    await insertAll(run, 'product_images', catalog.images.map((row) => ({ id: row.id, product_id: row.productId, url: row.url, width: row.width, height: row.height, alt: json(row.alt), position: 0 })));
  });
  await sql`analyze catalog.products, catalog.product_translations, catalog.variants, catalog.variant_prices`;
  return { seeded: true, variantIds };
}
