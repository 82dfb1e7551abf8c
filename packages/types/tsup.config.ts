// The shared build of the libraries that run everywhere.
export { default } from '../../tsup.library';
