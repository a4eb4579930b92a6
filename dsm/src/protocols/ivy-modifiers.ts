/** The modifiers every IVY manager base accepts (see the modifier files). */
export const ivyModifiers = ['own-read', 'prefetch', 'update', 'mirage'];
