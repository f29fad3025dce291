import type { MutationResolvers } from '../__generated__/resolvers-types.js';

export const Mutation: MutationResolvers = {
  createProduct: (_parent, { input }, { admin }) => admin.createProduct(input),
  updateProduct: (_parent, { id, input }, { admin }) => admin.updateProduct(id, input),
  archiveProduct: (_parent, { id }, { admin }) => admin.archiveProduct(id),
  addProductImage: (_parent, { productId, input }, { admin }) => admin.addProductImage(productId, input),
  removeProductImage: (_parent, { imageId }, { admin }) => admin.removeProductImage(imageId),
  createVariant: (_parent, { input }, { admin }) => admin.createVariant(input),
  updateVariant: (_parent, { id, input }, { admin }) => admin.updateVariant(id, input),
  archiveVariant: (_parent, { id }, { admin }) => admin.archiveVariant(id),
  setVariantPrice: (_parent, { variantId, price }, { admin }) => admin.setVariantPrice(variantId, price),
  updateOptionGroup: (_parent, { id, input }, { admin }) => admin.updateOptionGroup(id, input),
  updateOptionValue: (_parent, { id, input }, { admin }) => admin.updateOptionValue(id, input),
  createCategory: (_parent, { input }, { admin }) => admin.saveCategory(null, input),
  updateCategory: (_parent, { id, input }, { admin }) => admin.saveCategory(id, input),
  archiveCategory: (_parent, { id }, { admin }) => admin.archiveCategory(id),
  createCollection: (_parent, { input }, { admin }) => admin.saveCollection(null, input),
  updateCollection: (_parent, { id, input }, { admin }) => admin.saveCollection(id, input),
  archiveCollection: (_parent, { id }, { admin }) => admin.archiveCollection(id),
};
