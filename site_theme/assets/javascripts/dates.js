// How a date reads on the search page: the twin of builder/text/dates.py's date_short,
// kept equal by tests/test_parity.py. Change both together.

/** Compact date for lists and results: "26/08/2021", "tháng 9 năm 2021 (chưa ghi ngày)",
 * "năm 2021 (chưa ghi ngày, tháng)", from the ISO date a letter keeps. */
export function dateShort(iso) {
  const parts = iso.split("-");
  if (parts.length === 3) return `${parts[2]}/${parts[1]}/${parts[0]}`;
  if (parts.length === 2) return `tháng ${Number.parseInt(parts[1], 10)} năm ${parts[0]} (chưa ghi ngày)`;
  return `năm ${parts[0]} (chưa ghi ngày, tháng)`;
}
