/**
 * Intake bodies shaped like real 12345 work orders: the demo street's places (so cases route to
 * communities, sections, street and consult), a tenth of them urgent (two cards: group + consult),
 * citizens with names and phone numbers. Deterministic for a given tag.
 */

const PLACES = ['张仪村4号院南院', '假日风景小区3号楼', '阅园四区', '西丰路45号院', '西四环南路', '卢沟桥南里', '看丹路口', '万丰路'];
const CONTENTS = [
  '小区路灯不亮，天黑后存在安全隐患',
  '楼道堆放杂物，存在消防安全隐患',
  '夜间施工噪音大，影响休息',
  '路边井盖塌陷3至5厘米，行人易绊倒',
  '小区门口有游商占道经营',
  '建议在小区附近增设便民超市',
  '家中停水已超过一天',
  '自来水管爆裂，楼道大量积水，情况紧急',
  '垃圾清运不及时，气味很大',
  '咨询老旧小区加装电梯的政策',
];
const NAMES = ['王建国', '李秀英', '张伟', '刘洋', '陈静'];

export interface IntakeBody {
  hotlineNo: string;
  content: string;
  address: string;
  citizen: { name: string; phone: string };
  urgency?: 'urgent';
  category?: string;
}

export function intakeBody(tag: string, i: number): IntakeBody {
  const body: IntakeBody = {
    hotlineNo: `${tag}-${String(i).padStart(7, '0')}`,
    content: `${CONTENTS[i % CONTENTS.length]}（工单 ${i}）`,
    address: PLACES[(i * 7) % PLACES.length]!,
    citizen: { name: NAMES[i % NAMES.length]!, phone: `139${String(10_000_000 + ((i * 7919) % 89_999_999)).padStart(8, '0')}` },
  };
  if (i % 10 === 3) body.urgency = 'urgent';
  if (i % 13 === 5) body.category = '城乡建设->市政设施->井盖';
  return body;
}

export function intakeBodies(tag: string, n: number, from = 0): IntakeBody[] {
  return Array.from({ length: n }, (_, k) => intakeBody(tag, from + k));
}
