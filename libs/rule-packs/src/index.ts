/** Rule packs on disk: the shipped packs and deployed pack files, read and validated (libs/rules stays pure). */
export * from './rule-pack-files.js';
