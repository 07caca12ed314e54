import { z } from 'zod';
import { DEFAULT_CATEGORIES, type CategoryDef } from './categories';
import { DEFAULT_HOTLINE_PATHS } from './hotline-paths';

/**
 * The classifier's table: categories, the 12345 path mapping and extra dictionary words. The default
 * ships in code; a street's YAML `categories:` section adds to it or changes it (see
 * `categoriesConfigSchema`).
 */
export interface CategoryTable {
  categories: readonly CategoryDef[];
  /** 12345 names (any level, or a whole path with `->`) → category. */
  paths: Readonly<Record<string, string>>;
  /** Extra domain terms for segmentation (井盖, 黑臭水体 …), beyond the categories' own words. */
  dictionary: readonly string[];
}

const words = z.array(z.string().trim().min(1).max(20)).max(500);

/**
 * The YAML `categories:` section (all optional):
 * ```yaml
 * categories:
 *   words: [黑臭水体, 私装地桩]            # domain terms the segmenter must keep whole
 *   paths: { 管线冒水: 供水, "城乡建设->市政设施->井盖": 井盖 }
 *   list:                                  # a known name changes that category; a new name adds one
 *     - { name: 电梯, section: 物业科, strong: [电梯, 扶梯], words: [轿厢] }
 * ```
 * `strong` words point to the category by themselves; `words` only lean to it. Words given for a
 * known category are added to its own; a new category outranks the defaults on a tie.
 */
export const categoriesConfigSchema = z
  .object({
    words: words.optional(),
    paths: z.record(z.string().trim().min(1).max(100), z.string().trim().min(1).max(30)).optional(),
    list: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(30),
          section: z.string().trim().min(1).max(30).optional(),
          family: z.string().trim().min(1).max(30).optional(),
          strong: words.optional(),
          words: words.optional(),
        }),
      )
      .max(200)
      .optional(),
  })
  .strict();

export type CategoriesConfig = z.infer<typeof categoriesConfigSchema>;

/** The table the bot ships with. */
export const DEFAULT_CATEGORY_TABLE: CategoryTable = { categories: DEFAULT_CATEGORIES, paths: DEFAULT_HOTLINE_PATHS, dictionary: [] };

/** The default table with a street's `categories:` section applied. */
export function buildCategoryTable(config: CategoriesConfig | undefined, base: CategoryTable = DEFAULT_CATEGORY_TABLE): CategoryTable {
  if (!config) return base;
  const categories: CategoryDef[] = base.categories.map((c) => ({ ...c }));
  // A street's own categories come first: on a tie, the local name wins over a default one.
  const added: CategoryDef[] = [];
  for (const entry of config.list ?? []) {
    const at = categories.findIndex((c) => c.name === entry.name);
    if (at >= 0) {
      const c = categories[at]!;
      categories[at] = {
        ...c,
        section: entry.section ?? c.section,
        family: entry.family ?? c.family,
        strong: [...c.strong, ...(entry.strong ?? [])],
        words: [...(c.words ?? []), ...(entry.words ?? [])],
      };
    } else {
      added.push({ name: entry.name, family: entry.family ?? entry.name, section: entry.section ?? '', hotline: [], strong: entry.strong ?? [entry.name], words: entry.words ?? [] });
    }
  }
  return { categories: [...added, ...categories], paths: { ...base.paths, ...(config.paths ?? {}) }, dictionary: [...base.dictionary, ...(config.words ?? [])] };
}
