/**
 * Tokyo's 62 municipalities (区市町村): 23 special wards, 26 cities, 5 towns and
 * 8 villages, with their local government codes (全国地方公共団体コード without the
 * check digit). English names follow the municipalities' own usage: the special wards
 * call themselves "City" in English.
 */
import type { Localized } from '../../i18n/messages';

export type MunicipalityKind = 'ward' | 'city' | 'town' | 'village';

export interface Municipality {
  /** Local government code, e.g. `13101` for 千代田区. */
  code: string;
  kind: MunicipalityKind;
  name: Localized;
}

const m = (code: string, kind: MunicipalityKind, ja: string, en: string): Municipality => ({
  code,
  kind,
  name: { ja, en },
});

export const MUNICIPALITIES: readonly Municipality[] = [
  m('13101', 'ward', '千代田区', 'Chiyoda City'),
  m('13102', 'ward', '中央区', 'Chuo City'),
  m('13103', 'ward', '港区', 'Minato City'),
  m('13104', 'ward', '新宿区', 'Shinjuku City'),
  m('13105', 'ward', '文京区', 'Bunkyo City'),
  m('13106', 'ward', '台東区', 'Taito City'),
  m('13107', 'ward', '墨田区', 'Sumida City'),
  m('13108', 'ward', '江東区', 'Koto City'),
  m('13109', 'ward', '品川区', 'Shinagawa City'),
  m('13110', 'ward', '目黒区', 'Meguro City'),
  m('13111', 'ward', '大田区', 'Ota City'),
  m('13112', 'ward', '世田谷区', 'Setagaya City'),
  m('13113', 'ward', '渋谷区', 'Shibuya City'),
  m('13114', 'ward', '中野区', 'Nakano City'),
  m('13115', 'ward', '杉並区', 'Suginami City'),
  m('13116', 'ward', '豊島区', 'Toshima City'),
  m('13117', 'ward', '北区', 'Kita City'),
  m('13118', 'ward', '荒川区', 'Arakawa City'),
  m('13119', 'ward', '板橋区', 'Itabashi City'),
  m('13120', 'ward', '練馬区', 'Nerima City'),
  m('13121', 'ward', '足立区', 'Adachi City'),
  m('13122', 'ward', '葛飾区', 'Katsushika City'),
  m('13123', 'ward', '江戸川区', 'Edogawa City'),
  m('13201', 'city', '八王子市', 'Hachioji City'),
  m('13202', 'city', '立川市', 'Tachikawa City'),
  m('13203', 'city', '武蔵野市', 'Musashino City'),
  m('13204', 'city', '三鷹市', 'Mitaka City'),
  m('13205', 'city', '青梅市', 'Ome City'),
  m('13206', 'city', '府中市', 'Fuchu City'),
  m('13207', 'city', '昭島市', 'Akishima City'),
  m('13208', 'city', '調布市', 'Chofu City'),
  m('13209', 'city', '町田市', 'Machida City'),
  m('13210', 'city', '小金井市', 'Koganei City'),
  m('13211', 'city', '小平市', 'Kodaira City'),
  m('13212', 'city', '日野市', 'Hino City'),
  m('13213', 'city', '東村山市', 'Higashimurayama City'),
  m('13214', 'city', '国分寺市', 'Kokubunji City'),
  m('13215', 'city', '国立市', 'Kunitachi City'),
  m('13218', 'city', '福生市', 'Fussa City'),
  m('13219', 'city', '狛江市', 'Komae City'),
  m('13220', 'city', '東大和市', 'Higashiyamato City'),
  m('13221', 'city', '清瀬市', 'Kiyose City'),
  m('13222', 'city', '東久留米市', 'Higashikurume City'),
  m('13223', 'city', '武蔵村山市', 'Musashimurayama City'),
  m('13224', 'city', '多摩市', 'Tama City'),
  m('13225', 'city', '稲城市', 'Inagi City'),
  m('13227', 'city', '羽村市', 'Hamura City'),
  m('13228', 'city', 'あきる野市', 'Akiruno City'),
  m('13229', 'city', '西東京市', 'Nishitokyo City'),
  m('13303', 'town', '瑞穂町', 'Mizuho Town'),
  m('13305', 'town', '日の出町', 'Hinode Town'),
  m('13307', 'village', '檜原村', 'Hinohara Village'),
  m('13308', 'town', '奥多摩町', 'Okutama Town'),
  m('13361', 'town', '大島町', 'Oshima Town'),
  m('13362', 'village', '利島村', 'Toshima Village'),
  m('13363', 'village', '新島村', 'Niijima Village'),
  m('13364', 'village', '神津島村', 'Kozushima Village'),
  m('13381', 'village', '三宅村', 'Miyake Village'),
  m('13382', 'village', '御蔵島村', 'Mikurajima Village'),
  m('13401', 'town', '八丈町', 'Hachijo Town'),
  m('13402', 'village', '青ヶ島村', 'Aogashima Village'),
  m('13421', 'village', '小笠原村', 'Ogasawara Village'),
];

/** The choice for a business located outside Tokyo (the desk still hears them). */
export const OUTSIDE_TOKYO = { code: 'outside', name: { ja: '東京都外', en: 'Outside Tokyo' } };

export const MUNICIPALITY_KINDS: Record<MunicipalityKind, Localized> = {
  ward: { ja: '特別区', en: 'Special wards' },
  city: { ja: '市', en: 'Cities' },
  town: { ja: '町', en: 'Towns' },
  village: { ja: '村', en: 'Villages' },
};

const byCode = new Map(MUNICIPALITIES.map((x) => [x.code, x]));

/**
 * The name kept on the record for a choice: the Japanese name (the desk's language),
 * 「東京都外」 for outside Tokyo; undefined for a code that is not on the list.
 */
export function municipalityName(code: string): string | undefined {
  if (code === OUTSIDE_TOKYO.code) return OUTSIDE_TOKYO.name.ja;
  return byCode.get(code)?.name.ja;
}
