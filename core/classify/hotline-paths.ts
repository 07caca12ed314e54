/**
 * The 12345 platform's three-level classification (`城乡建设->市政设施->井盖`) mapped to the street's
 * categories. A path is looked up level by level from the most specific: the whole path, then the
 * leaf, then the second level, then the first; a name that is already a category maps to itself.
 */

/** Default mapping of 12345 classification names (any level) to the bot's categories. */
export const DEFAULT_HOTLINE_PATHS: Readonly<Record<string, string>> = {
  // 城乡建设
  井盖: '井盖', 井盖缺失: '井盖', 井盖破损: '井盖', 雨水箅子: '井盖',
  路灯: '路灯照明', 路灯照明: '路灯照明', 照明设施: '路灯照明', 景观照明: '路灯照明',
  排水: '排水', 排水设施: '排水', 下水道: '排水', 污水: '排水', 雨污水: '排水', 化粪池: '排水', 排水管网: '排水', 积水: '排水',
  河道: '河道', 河湖管理: '河道', 黑臭水体: '河道', 水环境: '河道', 水务: '供水',
  供水: '供水', 自来水: '供水', 二次供水: '供水', 停水: '供水', 水质: '供水', 管线冒水: '供水',
  供电: '供电', 电力: '供电', 停电: '供电', 用电: '供电',
  燃气: '燃气', 天然气: '燃气', 液化气: '燃气', 燃气安全: '燃气',
  供暖: '供暖', 供热: '供暖', 采暖: '供暖', 供热采暖: '供暖',
  电梯: '电梯', 电梯安全: '电梯', 特种设备: '电梯', 加装电梯: '电梯',
  物业: '物业管理', 物业管理: '物业管理', 物业服务: '物业管理', 业委会: '物业管理',
  房屋: '房屋', 房屋管理: '房屋', 住房: '房屋', 住房保障: '房屋', 房屋质量: '房屋', 房地产: '房屋', 房产: '房屋', 拆迁: '房屋', 征收拆迁: '房屋', 老旧小区改造: '房屋',
  违章建筑: '违章建筑', 违法建设: '违章建筑', 私搭乱建: '违章建筑', 违建: '违章建筑',
  园林绿化: '园林绿化', 绿化: '园林绿化', 树木: '园林绿化', 绿地: '园林绿化', 公园: '园林绿化',
  环境卫生: '环境卫生', 市容环境: '环境卫生', 市容环卫: '环境卫生', 垃圾: '环境卫生', 生活垃圾: '环境卫生', 垃圾分类: '环境卫生', 公厕: '环境卫生',
  建筑垃圾: '建筑垃圾', 渣土: '建筑垃圾', 渣土运输: '建筑垃圾',
  环境保护: '环境污染', 环境污染: '环境污染', 大气污染: '环境污染', 水污染: '环境污染', 油烟: '环境污染', 扬尘: '环境污染', 异味: '环境污染',
  噪声: '噪声扰民', 噪音: '噪声扰民', 噪声扰民: '噪声扰民', 社会生活噪声: '噪声扰民', 噪声污染: '噪声扰民',
  施工扰民: '施工扰民', 施工噪声: '施工扰民', 建筑施工: '施工扰民', 夜间施工: '施工扰民',
  游商: '游商', 无照游商: '游商', 流动摊贩: '游商', 街头游商: '游商',
  占道经营: '占道经营', 店外经营: '占道经营', 城市管理: '占道经营', 市容市貌: '占道经营',
  私装地桩: '私装地桩', 地桩地锁: '私装地桩', 地锁: '私装地桩',
  交通秩序: '交通秩序', 交通管理: '交通秩序', 停车管理: '交通秩序', 停车: '交通秩序', 违章停车: '交通秩序', 静态交通: '交通秩序', 非机动车管理: '交通秩序', 交通运输: '交通秩序',
  公共交通: '公共交通', 公交: '公共交通', 地铁: '公共交通', 出租车: '公共交通', 公交运营: '公共交通', 轨道交通: '公共交通', 客运: '公共交通',
  道路: '道路', 市政道路: '道路', 道路设施: '道路', 道路破损: '道路', 市政设施: '道路', 桥梁: '道路', 人行道: '道路',
  群租房: '群租房', 群租: '群租房', 出租房屋: '群租房',
  消防安全: '消防安全', 消防: '消防安全', 安全生产: '消防安全', 消防通道: '消防安全', 火灾隐患: '消防安全',
  // 劳动和社会保障, 教育文体, 卫生计生, 商贸旅游 …
  劳动和社会保障: '社会保障', 社会保障: '社会保障', 社会保险: '社会保障', 劳动保障: '社会保障', 劳动就业: '社会保障', 就业: '社会保障', 欠薪: '社会保障', 工资: '社会保障', 养老服务: '社会保障', 社会救助: '社会保障', 民政: '社会保障', 残疾人: '社会保障',
  教育文体: '教育', 教育: '教育', 学前教育: '教育', 义务教育: '教育', 校外培训: '教育', 文化体育: '教育', 文体: '教育',
  卫生计生: '医疗卫生', 医疗卫生: '医疗卫生', 卫生健康: '医疗卫生', 医疗: '医疗卫生', 医疗服务: '医疗卫生', 疫苗接种: '医疗卫生', 计划生育: '医疗卫生', 公共卫生: '医疗卫生',
  商贸旅游: '市场监管', 市场监管: '市场监管', 消费维权: '市场监管', 消费纠纷: '市场监管', 食品安全: '市场监管', 价格: '市场监管', 旅游: '市场监管', 预付卡: '市场监管',
  动物: '动物宠物', 宠物: '动物宠物', 犬只管理: '动物宠物', 养犬: '动物宠物', 动物管理: '动物宠物',
  户籍: '户籍证照', 户籍管理: '户籍证照', 居住证: '户籍证照', 证件办理: '户籍证照',
  便民设施: '便民设施', 公共设施: '便民设施', 便民服务: '便民设施', 健身器材: '便民设施', 商业网点: '便民设施',
};

/** The levels of a 12345 path, trimmed (`城乡建设 -> 市政设施 -> 井盖` → three names). */
export function pathLevels(category: string): string[] {
  return category.split(/\s*(?:->|→|>|\/)\s*/).map((s) => s.trim()).filter(Boolean);
}

/** The last level of a 12345 path (`城乡建设->市政设施->井盖` → `井盖`); the text itself when it has one level. */
export function categoryLeaf(category: string): string {
  const parts = pathLevels(category);
  return parts.length > 0 ? parts[parts.length - 1]! : category.trim();
}

/** A path mapped: the category, and the level it came from (0 = the first level, the coarsest). */
export interface PathMatch {
  category: string;
  level: number;
}

/**
 * The street's category for a 12345 path, or null when no level is known. `paths` maps names (any
 * level, or a whole path written with `->`) to categories; `known` are the category names, which map
 * to themselves.
 */
export function mapHotlinePath(category: string, paths: Readonly<Record<string, string>>, known: ReadonlySet<string>): PathMatch | null {
  const own = (k: string) => (Object.hasOwn(paths, k) ? paths[k]! : null);
  const levels = pathLevels(category);
  const whole = own(levels.join('->'));
  if (whole) return { category: whole, level: levels.length - 1 };
  for (let i = levels.length - 1; i >= 0; i--) {
    const name = levels[i]!;
    if (known.has(name)) return { category: name, level: i };
    const mapped = own(name);
    if (mapped) return { category: mapped, level: i };
  }
  return null;
}
