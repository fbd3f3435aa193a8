// The few jstat functions FoodLens uses; @types/jstat does not exist. jstat is a UMD bundle whose
// module.exports is the jStat object itself.
declare module 'jstat' {
  interface Continuous {
    cdf(x: number, ...params: number[]): number;
    pdf(x: number, ...params: number[]): number;
    inv(p: number, ...params: number[]): number;
  }
  interface JStat {
    normal: Continuous;
    chisquare: Continuous;
    /** Regularised lower incomplete gamma P(a, x). */
    gammap(a: number, x: number): number;
    gammaln(x: number): number;
    erfc(x: number): number;
  }
  const jStat: JStat;
  export default jStat;
}
