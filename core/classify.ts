import type { Urgency } from './types';
import { createClassifier } from './classify/classifier';

/**
 * Category and urgency of a case from the citizen's words (the modules live in core/classify/).
 * `inferCategory` / `inferUrgency` / `urgentReason` use the default table with the pure fallback
 * segmenter; production builds a classifier with `createClassifier({ segment: jieba })` and passes it
 * to intake.
 */

export { OTHER_CATEGORY, DEFAULT_CATEGORIES, type CategoryDef } from './classify/categories';
export { categoriesConfigSchema, buildCategoryTable, DEFAULT_CATEGORY_TABLE, type CategoriesConfig, type CategoryTable } from './classify/category-table';
export { createClassifier, domainDictionary, type Classification, type Classifier, type ClassifierOptions, type ClassifyHints } from './classify/classifier';
export { categoryLeaf, mapHotlinePath, pathLevels, DEFAULT_HOTLINE_PATHS } from './classify/hotline-paths';
export { boundariesOf, createDictionarySegmenter, type Segmenter } from './classify/segment';

let fallback: ReturnType<typeof createClassifier> | null = null;

/** The default table over the pure fallback segmenter; built once, on first use (a few ms). */
export function defaultClassifier(): ReturnType<typeof createClassifier> {
  fallback ??= createClassifier();
  return fallback;
}

/** The category of a text (default table, fallback segmenter); `其他` when nothing points anywhere. */
export function inferCategory(text: string): string {
  return defaultClassifier().classify(text).category;
}

/** Urgency from the words of the request and its request type (咨询/建议 make a consult unless in danger). */
export function inferUrgency(text: string, type?: string | null): Urgency {
  return defaultClassifier().classify(text, { type }).urgency;
}

/** Why a text reads as a present danger (`井盖丢失`, `燃气泄漏` …), or null when it does not. */
export function urgentReason(text: string): string | null {
  return defaultClassifier().classify(text).urgentReason;
}
