import type { OptionGroupResolvers, OptionValueResolvers, ProductImageResolvers } from '../__generated__/resolvers-types.js';
import { localize } from '../localized.js';

export const OptionGroup: OptionGroupResolvers = {
  name: (group, _args, context) => localize(group.names, context.chain) ?? { value: group.code, locale: context.chain.at(-1)!, isFallback: true },
};

export const OptionValue: OptionValueResolvers = {
  name: (value, _args, context) => localize(value.names, context.chain) ?? { value: value.code, locale: context.chain.at(-1)!, isFallback: true },
};

export const ProductImage: ProductImageResolvers = {
  alt: (image, _args, context) => localize(image.alt, context.chain),
};
