// The seed's toy error surface; this module knows nothing of Parzen.
export const heart = ({ x, y }) => -((x ** 2 + y ** 2 - 1) ** 3 - x ** 2 * y ** 3);
export default heart;
