declare module "echarts/lib/i18n/langVI.js" {
  const lang: Record<string, unknown>;
  export default lang;
}
